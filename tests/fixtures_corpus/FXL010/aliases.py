import os

import pytest as pt
from pytest import fixture as fx
from pytest import mark

from myapp.search import SearchIndex

slow = pt.mark.slow
needs_es = pt.mark.skipif(not os.environ.get("ES_URL"), reason="needs Elasticsearch")


@needs_es  # expect: FXL010
@fx(scope="session")
def index():
    idx = SearchIndex(os.environ["ES_URL"])
    yield idx
    idx.drop()


class TestQueries:
    @fx
    @mark.parametrize("analyzer", ["standard", "english"])  # expect: FXL010
    def analyzed(self, index, analyzer):
        return index.analyze("Running", analyzer)

    @slow  # expect: FXL010
    @pt.fixture
    def reindexed(self, index):
        index.rebuild()
        return index

    @slow
    def test_reindex_keeps_documents(self, reindexed):
        assert reindexed.count() > 0
