"""Discovery of datasets: each app declares its own in ``<app>/datasets.py`` as ``DATASETS = [Dataset(…)]``.

Adding a dataset (project progress, supply survey, applications …) is a new declaration in the owning
app; the upload page, the preview, the command line, the API, templates and error workbooks pick it up.
"""

from __future__ import annotations

from functools import cache

from django.core.exceptions import ImproperlyConfigured

from semicluster.core.registry import app_modules

from .adapters import Dataset


@cache
def datasets() -> dict[str, Dataset]:
    found: dict[str, Dataset] = {}
    for app, module in app_modules("datasets"):
        for dataset in getattr(module, "DATASETS", []):
            if dataset.key in found:
                raise ImproperlyConfigured(f"dataset {dataset.key!r} of {app} is declared twice")
            found[dataset.key] = dataset
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def get_dataset(key: str) -> Dataset | None:
    return datasets().get(key)


def datasets_for(user: object) -> list[Dataset]:
    return [d for d in datasets().values() if d.allows(user)]
