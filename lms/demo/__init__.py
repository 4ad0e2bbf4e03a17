"""Demo data: the October 2019 cohort, its graded work and its libraries' posts.
It sits above every area, as the web and the API do, because it fills them all."""

from lms.demo.cohort import demo_command

__all__ = ["demo_command"]
