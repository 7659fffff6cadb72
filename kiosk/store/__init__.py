"""The kiosk's local SQLite store (sqlite-utils, WAL, migrations)."""
