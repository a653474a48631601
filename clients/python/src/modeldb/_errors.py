"""Exceptions and warnings of the modeldb client."""
import warnings


class ModelDBError(Exception):
    """Base class of the errors this client raises."""


class BinaryNotFoundError(ModelDBError):
    """The modeldb binary cannot be found (MODELDB_BIN, then PATH)."""


class BinaryVersionError(ModelDBError):
    """The modeldb binary is too old, or does not say which version it is."""


class CommitError(ModelDBError):
    """`modeldb commit` refused the run; the message is modeldb's."""


class ModelDBWarning(UserWarning):
    """A logging call failed. Training goes on; the message says what was lost."""


def warn(message, stacklevel=3):
    """Warn with a ModelDBWarning whose text starts with 'modeldb: '."""
    warnings.warn("modeldb: " + message, ModelDBWarning, stacklevel=stacklevel)
