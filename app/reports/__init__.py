"""Register books (ND30 Appendix IV) as print-ready PDF, the handling slip, statistics and the
Excel export. Plain Python: reportlab draws, the store supplies rows by SQL."""
