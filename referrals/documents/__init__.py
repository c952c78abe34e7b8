"""The documents of a referral, one module a concern: the contexts, their samples, the kinds registered with
the document engine, the family as a genogram and the referral as an owner of documents. Importing this
package (the engine discovers it) registers them."""

from . import (
    kinds,  # noqa: F401
    owner,  # noqa: F401
    rapid_review,  # noqa: F401
)
from .family import referral_family  # noqa: F401
from .owner import referral_key_rows  # noqa: F401
from .samples import SAMPLE_BOARD, SAMPLE_COMMON  # noqa: F401
