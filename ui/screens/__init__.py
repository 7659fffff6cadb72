"""The kiosk's screens. Each renders the session's state and forwards taps as intents."""
