"""`enqueue_on_commit`, the one way the portal queues a Celery task: after the transaction commits, never
failing or blocking the caller when the broker is down (publishing does not retry and its sockets time out
quickly — see the Celery settings); the error is logged and the periodic sweeps catch up."""

import logging
from functools import partial

import kombu.exceptions
import redis.exceptions
from django.db import transaction

logger = logging.getLogger(__name__)

# What a task publish raises when the broker is down or unreachable.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)


def _safe_send(task, args: tuple, kwargs: dict) -> None:
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except BROKER_ERRORS as error:
        logger.warning(
            "Could not queue %s (%s); the next sweep will catch up", task.name, type(error).__name__
        )


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` once the current transaction commits (at once outside one). Pass ids and strings,
    never model instances."""
    transaction.on_commit(partial(_safe_send, task, args, kwargs))
