"""The recruitment's writes, one `do_*` per state change (each a `@service`), and its live
evaluation, by subject: `evaluation` (assess, rank, store), `applications` (register, edit,
review, notify, withdraw), `lists` (approve, free a place). Views, commands and the other apps
(lending's resignation) call these. What other apps use is here:"""

from .applications import do_add_notification
from .lists import do_promote_from_reserve

__all__ = ["do_add_notification", "do_promote_from_reserve"]
