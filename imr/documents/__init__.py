"""The IMR documents, one module a concern: the contexts, the kinds registered with the document engine (with
their samples), the App 7 template and the IMR as an owner of documents. Importing this package (the engine
discovers it) registers them."""

from . import (
    kinds,  # noqa: F401
    owner,  # noqa: F401
)
from .contexts import TOO_LONG_FOR_PDF, app7_headers  # noqa: F401
from .owner import staff_key_names  # noqa: F401
from .template import app7_template_xlsx  # noqa: F401
