import pytest_asyncio as pa
from pytest import fixture as fx


@pa.fixture
async def websocket(app):
    if not app.config.websockets:
        return  # expect: FXL205
    ws = await app.open_websocket()
    yield ws
    await ws.close()


class TestBilling:
    @fx(scope="class")
    def invoice(self, billing):
        if billing.sandbox_available():
            invoice = billing.create_invoice(amount=10)
            yield invoice
            billing.void(invoice)
        else:  # expect: FXL205
            print("billing sandbox unavailable")
