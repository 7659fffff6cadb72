"""Payment providers: sandbox, WeChat Pay Native (API v3), EMVCo merchant-presented QR."""
