"""Write hub/openapi.json from the FastAPI app: python -m hub.export_openapi"""
import json
import sys
import tempfile
from pathlib import Path

from .server import create_app

PATH = Path(__file__).with_name("openapi.json")


def schema() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(tmp)
        app.state.store.conn.close()
        return app.openapi()


def render() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
    print(PATH, file=sys.stderr)
