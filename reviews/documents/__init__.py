"""The documents of a review, one module a concern: the contexts, their samples, the kinds registered with the
document engine and the review as an owner of documents. Importing this package (the engine discovers it)
registers them."""

from . import (
    communications,  # noqa: F401
    kinds,  # noqa: F401
    owner,  # noqa: F401
)
from .contexts import briefing_reply_by  # noqa: F401
from .owner import review_reference_date  # noqa: F401
