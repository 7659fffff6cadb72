"""Handing the exit pass over: when the done screen may let go of a paid sale's exit code.

The signed exit code (`kiosk.domain.exit_code`) is what the shopper shows on the way out.
It leaves the kiosk on paper (a printed receipt), on the shopper's phone (the e-receipt
page carries it) or in a photo of the screen. The kiosk knows only of paper for certain,
so anything else is the shopper's word, asked for before the pass is taken off screen:

    SHOWN ──print ok──▶ PRINTED (Done leaves)
      │ ├──Done──▶ ASKING ──"leave anyway"──▶ CONFIRMED (leaves)
      │ │            └──"back to my pass"──▶ SHOWN
      │ └──print fails──▶ HELD (no countdown) ──staff clear the printer alert──▶ SHOWN
      │                     └──Done──▶ ASKING …
      └──countdown ends (not while HELD)──▶ next shopper

    AUDIT (picked for a bag check: no pass, no countdown, Done and Print wait)
      └──staff clear the exit-audit alert──▶ SHOWN

A failed print holds the pass on screen: the shopper was promised paper and may be
waiting for staff to refill the printer, so no countdown takes the pass away from them.
A sale picked for a bag check (`kiosk.domain.audit`) holds the pass back instead: the
shopper waits for staff, and the pass is shown (and printed) once they have checked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Handoff:
    """Where the exit pass of the sale on the done screen stands."""

    printed: bool = False
    confirmed: bool = False
    """The shopper said they have it (e-receipt, photo) after being asked."""
    printer_failed: bool = False
    """This sale's receipt could not be printed and staff have not dealt with it yet."""
    asking: bool = False
    """"Leave without a printed pass?" is on screen."""
    e_receipt: bool = False
    """An e-receipt QR carrying the pass is on screen (the kiosk sends the exit code with
    every link request, so the page shows the pass too)."""
    audit: bool = False
    """Picked for a bag check that staff have not cleared yet: the pass is not given."""

    @property
    def taken(self) -> bool:
        return self.printed or self.confirmed

    @property
    def held(self) -> bool:
        """The screen stays with no countdown: the pass until the shopper has it, or the
        bag check until staff clear it."""
        return self.audit or (self.printer_failed and not self.taken)

    def print_succeeded(self) -> Handoff:
        return replace(self, printed=True, printer_failed=False, asking=False)

    def print_failed(self) -> Handoff:
        return replace(self, printer_failed=True, asking=False)

    def printer_cleared(self) -> Handoff:
        """Staff dealt with the printer (and the shopper in front of it)."""
        return replace(self, printer_failed=False)

    def finish(self) -> Handoff:
        """The shopper tapped Done: leave if the pass is taken, else ask first (during a
        bag check there is nothing to leave with yet: wait)."""
        return self if self.taken or self.audit else replace(self, asking=True)

    def audited(self) -> Handoff:
        return replace(self, audit=True, asking=False)

    def audit_cleared(self) -> Handoff:
        """Staff checked the bag: the pass is given now."""
        return replace(self, audit=False)

    def leave_anyway(self) -> Handoff:
        return replace(self, confirmed=True, asking=False)

    def keep(self) -> Handoff:
        return replace(self, asking=False)

    def with_e_receipt(self) -> Handoff:
        return replace(self, e_receipt=True)
