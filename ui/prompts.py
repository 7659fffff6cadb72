"""What the kiosk says aloud at each main step (`Prompt`), in the UI's translations: the
texts go through the `.ts` files like every other string, and `tools.make_prompts` records
them with espeak-ng at build time, one WAV per language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from kiosk.services.session import Prompt

# Lambdas, so each text is translated in the language installed when it is recorded.
_PROMPTS: dict[Prompt, Callable[[], str]] = {
    Prompt.WELCOME: lambda: QCoreApplication.translate(
        "Prompt",
        "Welcome. Hold each item's barcode up to the camera. "
        "When you are done, tap Pay now, at the bottom right.",
    ),
    Prompt.ITEM_ADDED: lambda: QCoreApplication.translate("Prompt", "Item added."),
    Prompt.PAY: lambda: QCoreApplication.translate(
        "Prompt",
        "To pay, scan the QR code on the screen with your phone, "
        "or show your payment code to the camera.",
    ),
    Prompt.BAG: lambda: QCoreApplication.translate(
        "Prompt", "Do you need a bag? Tap no, one or two, at the bottom right."
    ),
    Prompt.DONE: lambda: QCoreApplication.translate(
        "Prompt", "Thank you, you have paid. Please take your receipt or your exit code."
    ),
    Prompt.HELP: lambda: QCoreApplication.translate(
        "Prompt", "Help is on the way. A member of staff is coming to you."
    ),
}


def prompt_text(prompt: Prompt) -> str:
    return _PROMPTS[prompt]()
