"""What the payment, exit-code and e-receipt routes need, kept on `app.state.payments`.

`install(app, config)` builds it from the configuration (the environment by default);
calling it again (tests, benchmarks) swaps it, e.g. for a configuration pointing at a
WeChat Pay simulator. The routes themselves are included once by the app factory.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine

from central.clock import system_clock_ms
from central.config import settings_from
from central.db import create_db_engine, migrate
from central.deps import Central
from central.payments.certificates import DbCertificateStore
from central.payments.config import PaymentsConfig, load_payments_config
from central.payments.errors import NoPublicUrl
from central.payments.providers.base import Provider
from central.payments.providers.sandbox import SandboxProvider
from central.payments.service import PaymentService, Providers
from sync.payment_protocol import UUID_PATTERN

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class PaymentsRuntime:
    central: Central
    config: PaymentsConfig
    service: PaymentService
    sandbox: SandboxProvider

    @property
    def master(self) -> bytes:
        return self.central.settings.secret_key

    def public_url(self, request: Request) -> str:
        """The address QR codes and links point at: the configured one; in a sandbox-only
        demo, the one the request came to; else none (fail closed: `NoPublicUrl`)."""
        if self.config.public_url:
            return self.config.public_url
        if self.config.sandbox_only:
            return str(request.base_url).rstrip("/")
        raise NoPublicUrl(
            "set CENTRAL_PUBLIC_URL (or public_url in the payments configuration) to the "
            "address phones and providers reach this service at"
        )


def build_providers(
    config: PaymentsConfig,
    sandbox: SandboxProvider,
    engine: Engine,
    clock_ms: Callable[[], int],
) -> Providers:
    made: dict[int, Provider] = {}
    certificates = DbCertificateStore(engine)

    def table(store_id: str | None) -> dict[str, Provider]:
        store = config.store(store_id) if store_id else config.default_store
        out: dict[str, Provider] = {}
        if store.sandbox:
            out["sandbox"] = sandbox
        if store.wechat is not None:
            from central.payments.providers.wechat import WeChatProvider

            wechat = store.wechat
            out["wechat"] = made.setdefault(
                id(wechat),
                WeChatProvider(
                    wechat,
                    config.qr_ttl_s,
                    config.notify_window_s,
                    certificates=certificates,
                    clock_ms=clock_ms,
                ),
            )
        for name, scheme in store.emvco.items():
            from central.payments.providers.emvco import EmvcoProvider, RefundingEmvcoProvider

            kind = EmvcoProvider if scheme.refund_url is None else RefundingEmvcoProvider
            out[f"emvco:{name}"] = made.setdefault(
                id(scheme), kind(scheme, store, config.qr_ttl_s, config.notify_window_s)
            )
        if store.wechat_code is not None:
            from central.payments.providers.wechat_micropay import WeChatCodeProvider

            out["wechat_code"] = made.setdefault(
                id(store.wechat_code), WeChatCodeProvider(store.wechat_code)
            )
        if store.alipay is not None:
            from central.payments.providers.alipay import AlipayCodeProvider

            out["alipay_code"] = made.setdefault(id(store.alipay), AlipayCodeProvider(store.alipay))
        return out

    return Providers({sid: table(sid) for sid in config.stores}, table(None))


def build_runtime(central: Central, config: PaymentsConfig, sleep: Sleep) -> PaymentsRuntime:
    master = central.settings.secret_key
    sandbox = SandboxProvider(master, config.qr_ttl_s, config.notify_window_s)
    providers = build_providers(config, sandbox, central.engine, central.clock_ms)
    service = PaymentService(
        engine=central.engine,
        config=config,
        providers=providers,
        clock_ms=central.clock_ms,
        sleep=sleep,
        reader=central.reader,
    )
    return PaymentsRuntime(central, config, service, sandbox)


def install(
    app: FastAPI,
    config: PaymentsConfig | None = None,
    *,
    sleep: Sleep = asyncio.sleep,
    env: Mapping[str, str] | None = None,
) -> PaymentsRuntime:
    """Set (or replace) the payments runtime of an app built by `create_app`."""
    central: Central = app.state.central
    if config is None:
        config = load_payments_config(dict(os.environ) if env is None else env)
    runtime = build_runtime(central, config, sleep)
    app.state.payments = runtime
    return runtime


def runtime_of(request: Request) -> PaymentsRuntime:
    runtime: PaymentsRuntime = request.app.state.payments
    return runtime


RuntimeDep = Annotated[PaymentsRuntime, Depends(runtime_of)]


def is_uuid(text: str) -> bool:
    return re.fullmatch(UUID_PATTERN, text) is not None


def standalone_service(db: str | None) -> PaymentService:
    """The payment service as configured by the environment, outside the web app (the
    sweep's process)."""
    env = dict(os.environ)
    settings = settings_from(env, db)
    config = load_payments_config(env)
    engine = create_db_engine(settings.db_url)
    if settings.migrate_on_start:
        migrate(engine)
    sandbox = SandboxProvider(settings.secret_key, config.qr_ttl_s, config.notify_window_s)
    return PaymentService(
        engine=engine,
        config=config,
        providers=build_providers(config, sandbox, engine, system_clock_ms),
        clock_ms=system_clock_ms,
        sleep=asyncio.sleep,
        reader=engine,
    )


def repeat(chore: Callable[[], str], every: float | None) -> int:
    """Run `chore` and print what it did; with `every`, again every that many seconds."""
    while True:
        print(chore(), flush=True)
        if every is None:
            return 0
        time.sleep(every)
