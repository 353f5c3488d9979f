"""Shapes every API router shares: the error body and the response codes each operation declares."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str


class ErrorOut(Schema):
    detail: list[ErrorItem]


READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset bounded in the schema: ninja leaves them unbounded, and a huge offset
    overflows the database's LIMIT/OFFSET (a 500 on SQLite); bounded inputs make it a 422."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=1_000_000_000)
