"""The desktop workstation (PySide6). The only package allowed to import Qt."""
