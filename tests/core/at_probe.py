"""A probe the tests of test_clock_helper.py run in a pytest of their own, with --at or
EINCLUSION_TEST_AT (not collected by a plain run: its name does not start with test_)."""

import datetime

from django.utils import timezone

from lebork_einclusion import clock as office_clock


def test_the_session_starts_at_the_at_moment(request):
    at = request.config.einclusion_at
    assert at is not None, "run with --at or EINCLUSION_TEST_AT"
    assert datetime.timedelta(0) <= timezone.now() - at < datetime.timedelta(minutes=1)
    assert office_clock.today() == timezone.localdate(at)
