"""Clerk actions, one function each: the single place that does the action, called the same
way by the command line (app/commands) and the window (app/ui, through its one
background-operation helper). Plain Python, no Qt.

Conventions
- First arguments: `store` (an open app.store.Store), then `settings` when the action needs them.
- Long actions take `progress(done, total)` and `cancelled() -> bool`; stopping raises
  app.errors.Cancelled and leaves nothing half-written.
- Results are typed records (app.domain.records) or small frozen result dataclasses; their
  `to_json()` is what `--format json` prints.
- Errors are app.errors types with a Vietnamese message; ValidationError names the field.

Modules: registering (register, correct, void, status, import), signing (sign an entry),
exchange (send, accept, reject, restore), books (print a book, export), intake (scan/read a
document and register it). See /docs or workflows-api.md for the list."""
