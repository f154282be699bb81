"""The NinjaAPI instance at /api/v1/: authentication, errors and the routers."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from accord.benefits.api import router as benefits_router
from accord.contributions.api import router as contributions_router
from accord.governance.api import router as governance_router
from accord.governance.calendar_api import (
    router as calendar_router,
)
from accord.governance.documents_api import (
    router as documents_router,
)
from accord.governance.escalation_api import (
    router as concerns_router,
)
from accord.governance.succession_api import (
    calls_router,
    memory_router,
    positions_router,
)
from accord.ledger.api import router as ledger_router
from accord.partners.api import (
    agreements_router,
    offerings_router,
    revenue_router,
    updates_router,
)
from accord.partners.api import router as partners_router
from accord.people.api import router as people_router
from accord.people.api import tokens_router
from accord.people.auth import AUTH
from accord.web import errors


class AccordAPI(NinjaAPI):
    """The API, with its OpenAPI schema built once per process and path: the routes are
    fixed when the process starts, and building the schema of every operation takes most
    of a second. Callers read the schema; they do not change it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._schemas: dict[str, OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._schemas:
            self._schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return self._schemas[path_prefix]


api = AccordAPI(
    title="Accord API",
    version="1",
    description=(
        "Accord's JSON API. Authenticate with your browser session or a personal access "
        "token sent as `Authorization: Bearer acc_...`. Errors are `{detail, code}`."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/", people_router)
api.add_router("/", tokens_router)
api.add_router("/partners", partners_router)
api.add_router("/agreements", agreements_router)
api.add_router("/updates", updates_router)
api.add_router("/offerings", offerings_router)
api.add_router("/revenue", revenue_router)
api.add_router("/ledger", ledger_router)
api.add_router("/", contributions_router)
api.add_router("/", benefits_router)
api.add_router("/decisions", governance_router)
api.add_router("/concerns", concerns_router)
api.add_router("/positions", positions_router)
api.add_router("/calls", calls_router)
api.add_router("/memory", memory_router)
api.add_router("/calendar", calendar_router)
api.add_router("/documents", documents_router)
