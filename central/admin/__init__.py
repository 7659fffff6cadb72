"""The back-office web console (`/admin/`): accounts, fleet, staff."""
