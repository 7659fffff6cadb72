"""The attendant console: every kiosk of a store on one staff tablet, with its alerts."""
