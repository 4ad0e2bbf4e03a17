"""Activity types: the registry and the built-in types (lesson, quiz, assignment)."""

from lms.coursepacks.types import (  # noqa: F401
    ACTIVITY_TYPES,
    ActivityType,
    ApiAction,
    DemoSeed,
    PackFile,
    UnknownActivityType,
    get_activity_type,
    load_activity_types,
    register_activity_type,
    unregister_activity_type,
)
