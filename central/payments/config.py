"""Per-store payment configuration: which providers, merchant details, where secrets are.

The configuration file (JSON, path in `CENTRAL_PAYMENTS_CONFIG`) holds no secrets: it
names environment variables (`…_env`) or files (`…_file`, kept outside the
repository, mode 0600) to read them from, so it can be committed and reviewed. With no
file, every store uses the sandbox provider. See docs/payments.md for the format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from central.errors import ConfigError

DEFAULT_PROVIDER = "sandbox"


@dataclass(frozen=True, slots=True)
class WeChatConfig:
    """WeChat Pay API v3 (Native) merchant settings."""

    mchid: str
    appid: str
    serial_no: str  # serial of the merchant API certificate (signs our requests)
    private_key_pem: bytes  # merchant API private key (apiclient_key.pem)
    platform_keys: Mapping[str, bytes]  # pinned: platform public key id / certificate -> PEM
    apiv3_key: bytes  # 32 bytes: decrypts callback resources and downloaded certificates
    base_url: str = "https://api.mch.weixin.qq.com"
    notify_url: str | None = None  # default: {public_url}/v1/providers/wechat/notify
    timeout_s: float = 5.0
    # Download platform certificates (`GET /v3/certificates`) and follow their rotation.
    download_certificates: bool = False


@dataclass(frozen=True, slots=True)
class WeChatCodeConfig:
    """WeChat Pay payment-code (付款码, micropay) settings: API v2, XML signed with the
    merchant's API key (HMAC-SHA256). Reverse needs the merchant's API client certificate
    in production (`client_cert_file`, `client_key_file`); the simulator does not."""

    mchid: str
    appid: str
    api_key: bytes  # the v2 API key (32 characters): signs requests, checks answers
    base_url: str = "https://api.mch.weixin.qq.com"
    timeout_s: float = 10.0
    client_cert: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class AlipayConfig:
    """Alipay Open Platform (当面付, `alipay.trade.pay` with scene=bar_code) settings:
    requests signed RSA2 with the app's private key, answers checked with Alipay's
    public key."""

    app_id: str
    private_key_pem: bytes
    alipay_public_key_pem: bytes
    gateway: str = "https://openapi.alipay.com/gateway.do"
    timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class EmvcoScheme:
    """One EMVCo MPM scheme (PIX, PromptPay, SGQR, DuitNow…) through one acquirer."""

    name: str
    account_tag: str  # merchant account template id, 26..51
    account: Mapping[str, str]  # its sub-objects (GUI/AID, merchant key or id)
    currency: str
    country: str
    secret: bytes  # the acquirer's HMAC key for callbacks
    bill_tag: str = "01"  # where the bill number goes in template 62 ("05" for PIX)
    mcc: str | None = None
    merchant_name: str | None = None
    merchant_city: str | None = None
    # The acquirer's refund endpoint (docs/payments.md, "EMVCo refunds"); without it a
    # sale paid by this scheme is refunded in cash.
    refund_url: str | None = None
    timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class StoreConfig:
    default_provider: str = DEFAULT_PROVIDER
    merchant_name: str = "Demo Market"
    merchant_city: str = "Shanghai"
    address: str = ""
    mcc: str = "5411"  # grocery stores, supermarkets
    sandbox: bool = True
    wechat: WeChatConfig | None = None
    emvco: Mapping[str, EmvcoScheme] = field(default_factory=dict)
    wechat_code: WeChatCodeConfig | None = None
    alipay: AlipayConfig | None = None

    def providers(self) -> list[str]:
        names = ["sandbox"] if self.sandbox else []
        if self.wechat is not None:
            names.append("wechat")
        names += [f"emvco:{n}" for n in self.emvco]
        return names

    def code_providers(self) -> list[str]:
        """Providers that charge a shopper's payment code (never a store's default QR)."""
        return [
            name
            for name, cfg in (("wechat_code", self.wechat_code), ("alipay_code", self.alipay))
            if cfg is not None
        ]


@dataclass(frozen=True, slots=True)
class PaymentsConfig:
    stores: Mapping[str, StoreConfig] = field(default_factory=dict)
    default_store: StoreConfig = field(default_factory=StoreConfig)
    # What QR codes, callbacks and e-receipt links point at. Required as soon as a real
    # provider is set up; a sandbox-only demo falls back to the address the kiosk used.
    public_url: str | None = None
    qr_ttl_s: int = 120
    first_check_s: float = 8.0  # no callback this long after the QR: ask the provider
    check_every_s: float = 5.0
    poll_interval_s: float = 0.05  # long-poll re-reads the database this often
    notify_window_s: int = 300  # callbacks with older timestamps are refused
    receipt_ttl_days: int | None = 400
    exit_validity_s: int = 7200
    # A payment-code charge the shopper has not confirmed (password on the phone) this
    # long after it was sent is reversed: the providers' documented 30 s, plus margin.
    code_wait_s: float = 45.0
    code_poll_s: float = 1.0  # while the shopper confirms, query the provider this often
    # A refund the provider is still processing is asked about this often, for this long,
    # before the kiosk is told `processing` (it asks again by re-sending the refund).
    refund_poll_s: float = 0.5
    refund_wait_s: float = 10.0

    def store(self, store_id: str) -> StoreConfig:
        return self.stores.get(store_id, self.default_store)

    @property
    def sandbox_only(self) -> bool:
        """No store takes real money: a demo, where any address the kiosk used will do."""
        return all(
            s.wechat is None and not s.emvco and not s.code_providers()
            for s in (self.default_store, *self.stores.values())
        )


def _secret(obj: Mapping[str, Any], name: str, env: Mapping[str, str], where: str) -> bytes:
    if name in obj:
        raise ConfigError(f"{where}: put {name} in an environment variable or a file, "
                          f"not in the configuration ({name}_env / {name}_file)")  # fmt: skip
    if f"{name}_env" in obj:
        value = env.get(str(obj[f"{name}_env"]), "")
        if not value:
            raise ConfigError(f"{where}: environment variable {obj[f'{name}_env']} is not set")
        return value.encode()
    if f"{name}_file" in obj:
        path = Path(str(obj[f"{name}_file"]))
        try:
            return path.read_bytes().strip()
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read {path}: {exc}") from None
    raise ConfigError(f"{where}: {name}_env or {name}_file is required")


def _wechat(obj: Mapping[str, Any], env: Mapping[str, str], where: str) -> WeChatConfig:
    keys = obj.get("platform_keys", {})
    download = obj.get("download_certificates", False)
    if not isinstance(download, bool):
        raise ConfigError(f"{where}: download_certificates is true or false")
    if not isinstance(keys, Mapping) or not (keys or download):
        raise ConfigError(
            f"{where}: platform_keys maps a serial to a PEM file path "
            "(or set download_certificates to true)"
        )
    platform = {}
    for serial, path in keys.items():
        try:
            platform[str(serial)] = Path(str(path)).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{where}: cannot read {path}: {exc}") from None
    apiv3 = _secret(obj, "apiv3_key", env, where)
    if len(apiv3) != 32:
        raise ConfigError(f"{where}: the APIv3 key must be 32 characters")
    try:
        return WeChatConfig(
            mchid=str(obj["mchid"]),
            appid=str(obj["appid"]),
            serial_no=str(obj["serial_no"]),
            private_key_pem=_secret(obj, "private_key", env, where),
            platform_keys=platform,
            apiv3_key=apiv3,
            base_url=str(obj.get("base_url", "https://api.mch.weixin.qq.com")).rstrip("/"),
            notify_url=obj.get("notify_url"),
            timeout_s=float(obj.get("timeout_s", 5.0)),
            download_certificates=download,
        )
    except KeyError as exc:
        raise ConfigError(f"{where}: {exc.args[0]} is required") from None


def _read(path: object, where: str) -> bytes:
    try:
        return Path(str(path)).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read {path}: {exc}") from None


def _wechat_code(obj: Mapping[str, Any], env: Mapping[str, str], where: str) -> WeChatCodeConfig:
    api_key = _secret(obj, "api_key", env, where)
    if len(api_key) != 32:
        raise ConfigError(f"{where}: the API key must be 32 characters")
    cert = obj.get("client_cert_file"), obj.get("client_key_file")
    try:
        return WeChatCodeConfig(
            mchid=str(obj["mchid"]),
            appid=str(obj["appid"]),
            api_key=api_key,
            base_url=str(obj.get("base_url", "https://api.mch.weixin.qq.com")).rstrip("/"),
            timeout_s=float(obj.get("timeout_s", 10.0)),
            client_cert=(str(cert[0]), str(cert[1])) if all(cert) else None,
        )
    except KeyError as exc:
        raise ConfigError(f"{where}: {exc.args[0]} is required") from None


def _alipay(obj: Mapping[str, Any], env: Mapping[str, str], where: str) -> AlipayConfig:
    try:
        return AlipayConfig(
            app_id=str(obj["app_id"]),
            private_key_pem=_secret(obj, "private_key", env, where),
            alipay_public_key_pem=_read(obj["alipay_public_key_file"], where),
            gateway=str(obj.get("gateway", "https://openapi.alipay.com/gateway.do")),
            timeout_s=float(obj.get("timeout_s", 10.0)),
        )
    except KeyError as exc:
        raise ConfigError(f"{where}: {exc.args[0]} is required") from None


def _emvco(name: str, obj: Mapping[str, Any], env: Mapping[str, str], where: str) -> EmvcoScheme:
    try:
        return EmvcoScheme(
            name=name,
            account_tag=str(obj["account_tag"]),
            account={str(k): str(v) for k, v in obj["account"].items()},
            currency=str(obj["currency"]),
            country=str(obj["country"]),
            secret=_secret(obj, "secret", env, where),
            bill_tag=str(obj.get("bill_tag", "01")),
            mcc=obj.get("mcc"),
            merchant_name=obj.get("merchant_name"),
            merchant_city=obj.get("merchant_city"),
            refund_url=obj.get("refund_url"),
            timeout_s=float(obj.get("timeout_s", 10.0)),
        )
    except KeyError as exc:
        raise ConfigError(f"{where}: {exc.args[0]} is required") from None


def store_from(obj: Mapping[str, Any], env: Mapping[str, str], where: str) -> StoreConfig:
    wechat = obj.get("wechat")
    store = StoreConfig(
        default_provider=str(obj.get("default_provider", DEFAULT_PROVIDER)),
        merchant_name=str(obj.get("merchant_name", "Demo Market")),
        merchant_city=str(obj.get("merchant_city", "Shanghai")),
        address=str(obj.get("address", "")),
        mcc=str(obj.get("mcc", "5411")),
        sandbox=bool(obj.get("sandbox", True)),
        wechat=_wechat(wechat, env, f"{where}.wechat") if wechat else None,
        emvco={
            str(n): _emvco(str(n), o, env, f"{where}.emvco.{n}")
            for n, o in dict(obj.get("emvco", {})).items()
        },
        wechat_code=(
            _wechat_code(obj["wechat_code"], env, f"{where}.wechat_code")
            if obj.get("wechat_code")
            else None
        ),
        alipay=_alipay(obj["alipay"], env, f"{where}.alipay") if obj.get("alipay") else None,
    )
    if store.default_provider not in store.providers():
        raise ConfigError(f"{where}: default provider {store.default_provider} is not set up")
    return store


def config_from(obj: Mapping[str, Any], env: Mapping[str, str]) -> PaymentsConfig:
    stores = {str(k): store_from(v, env, f"stores.{k}") for k, v in obj.get("stores", {}).items()}
    default = store_from(obj.get("default_store", {}), env, "default_store")
    numbers = {
        k: obj[k]
        for k in ("qr_ttl_s", "first_check_s", "check_every_s", "notify_window_s",
                  "receipt_ttl_days", "exit_validity_s", "code_wait_s", "code_poll_s",
                  "refund_poll_s", "refund_wait_s")
        if k in obj
    }  # fmt: skip
    return PaymentsConfig(
        stores=stores, default_store=default, public_url=obj.get("public_url"), **numbers
    )


def load_payments_config(env: Mapping[str, str]) -> PaymentsConfig:
    """From `CENTRAL_PAYMENTS_CONFIG` (a JSON file), or sandbox-only defaults."""
    path = env.get("CENTRAL_PAYMENTS_CONFIG", "").strip()
    public_url = env.get("CENTRAL_PUBLIC_URL", "").strip() or None
    if not path:
        return PaymentsConfig(public_url=public_url)
    try:
        obj = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read payments configuration {path}: {exc}") from None
    if public_url:
        obj["public_url"] = public_url
    return config_from(obj, env)
