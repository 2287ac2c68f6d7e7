import functools as ft

from pytest import fixture as fx

from myapp.jobs import Scheduler


async def drain(scheduler):
    await scheduler.wait_idle()


def stop_all(scheduler, timeout):
    scheduler.shutdown(timeout=timeout)


@fx
def scheduler(request):
    s = Scheduler()
    request.addfinalizer(stop_all(s, timeout=5))  # expect: FXL103
    request.addfinalizer(drain(s))  # expect: FXL103
    return s
