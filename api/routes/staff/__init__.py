"""Pages for UDD staff under /personal: participation statistics, reach of the service, source health.

Every route requires the staff role (``require_staff``): anonymous visitors are sent to sign in, companies and
business developers are refused.
"""

from fastapi import APIRouter, Depends, status
from fastapi.responses import RedirectResponse

from api.deps import require_staff
from api.routes.staff import reach, sources, statistics

router = APIRouter(prefix="/personal", include_in_schema=False, dependencies=[Depends(require_staff)])
for _module in (statistics, reach, sources):
    router.include_router(_module.router)


@router.get("")
def staff_home() -> RedirectResponse:
    return RedirectResponse("/personal/statistik", status_code=status.HTTP_303_SEE_OTHER)
