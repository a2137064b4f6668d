"""What lending tells the layers above it, which it may not import (monitoring plans visits).

`participation_changed` is sent inside the writing transaction, with `participant` and
`actor`, when a household's equipment has been handed over and when a household stops taking
part. A receiver that fails rolls the lending write back with it."""

from django.dispatch import Signal

participation_changed = Signal()
