"""Payment chores: `python -m central.payments sweep|demo-config`.

sweep        check payments whose check is due (expired QR codes to close at the
             provider, missing callbacks to query, closes to retry); with --every,
             keep doing it (one such process per chain is enough; several are safe,
             each payment's check is claimed by one of them)
demo-config  write a payments configuration with generated secrets for a demo:
             sandbox by default, plus PromptPay and PIX through a pretend acquirer
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import time
from pathlib import Path

from central.clock import system_clock_ms
from central.config import settings_from
from central.db import create_db_engine, migrate
from central.payments.config import load_payments_config
from central.payments.providers.sandbox import SandboxProvider
from central.payments.runtime import build_providers
from central.payments.service import PaymentService


def sweep(db: str | None, every: float | None) -> int:
    env = dict(os.environ)
    settings = settings_from(env, db)
    config = load_payments_config(env)
    engine = create_db_engine(settings.db_url)
    if settings.migrate_on_start:
        migrate(engine)
    sandbox = SandboxProvider(settings.secret_key, config.qr_ttl_s, config.notify_window_s)
    service = PaymentService(
        engine=engine,
        config=config,
        providers=build_providers(config, sandbox, engine, system_clock_ms),
        clock_ms=system_clock_ms,
        sleep=asyncio.sleep,
        reader=engine,
    )
    while True:
        checked = service.sweep(config.public_url or "")
        print(f"checked {checked} payment(s)", flush=True)
        if every is None:
            return 0
        time.sleep(every)


def demo_config(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    secret = folder / "acquirer.secret"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(32))
        secret.chmod(0o600)
    config = {
        "default_store": {
            "default_provider": "sandbox",
            "merchant_name": "Demo Market",
            "merchant_city": "Shanghai",
            "address": "1 Demo Road, Shanghai",
            "emvco": {
                "promptpay": {
                    "account_tag": "29",
                    "account": {"00": "A000000677010111", "01": "0066812345678"},
                    "currency": "THB", "country": "TH", "merchant_city": "Bangkok",
                    "secret_file": str(secret.resolve()),
                },
                "pix": {
                    "account_tag": "26",
                    "account": {"00": "br.gov.bcb.pix",
                                "01": "123e4567-e12b-12d1-a456-426655440000"},
                    "currency": "BRL", "country": "BR", "bill_tag": "05",
                    "merchant_city": "BRASILIA",
                    "secret_file": str(secret.resolve()),
                },
            },
        }
    }  # fmt: skip
    path = folder / "payments.json"
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    print(f"CENTRAL_PAYMENTS_CONFIG={path.resolve()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m central.payments")
    sub = parser.add_subparsers(dest="command", required=True)
    p_sweep = sub.add_parser("sweep", help="check due payments (close expired, query)")
    p_sweep.add_argument("--db", default=None, help="database URL (default: CENTRAL_DB_URL)")
    p_sweep.add_argument("--every", type=float, default=None, help="repeat every N seconds")
    p_demo = sub.add_parser("demo-config", help="write a demo payments configuration")
    p_demo.add_argument("--folder", type=Path, default=Path("var/payments"))
    args = parser.parse_args(argv)
    if args.command == "sweep":
        return sweep(args.db, args.every)
    return demo_config(args.folder)


if __name__ == "__main__":
    sys.exit(main())
