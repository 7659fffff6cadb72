"""Payment chores: `python -m central.payments sweep|demo-config`.

sweep        check payments whose check is due (expired QR codes to close at the
             provider, missing callbacks to query, closes to retry); with --every,
             keep doing it (one such process per chain is enough; several are safe,
             each payment's check is claimed by one of them). `central sweep` does
             this and asks again about refunds still processing: run that one
demo-config  write a payments configuration with generated secrets for a demo:
             sandbox by default, plus PromptPay and PIX through a pretend acquirer
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path

from central.payments.runtime import repeat, standalone_service


def sweep(db: str | None, every: float | None) -> int:
    service = standalone_service(db)
    return repeat(
        lambda: f"checked {service.sweep(service.config.public_url or '')} payment(s)", every
    )


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
