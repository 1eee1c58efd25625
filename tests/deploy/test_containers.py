"""deploy/Dockerfile and docker-compose.yml stay consistent (Docker does not run here)."""

import re

import yaml

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_dockerfile_copies_only_what_exists():
    text = (DEPLOY / "Dockerfile").read_text()
    sources = [src for line in re.findall(r"^COPY (.+)$", text, re.MULTILINE)
               for src in line.split()[:-1]]
    assert sources and all((ROOT / s).exists() for s in sources), sources
    assert re.search(r"^WORKDIR /opt/mediawatch$", text, re.MULTILINE)


def test_compose_services_volumes_and_pool_fit_together():
    spec = compose()
    services, volumes = spec["services"], set(spec["volumes"])
    assert {"postgres", "server", "deploy", "worker"} <= set(services)
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith("."):
                assert source in volumes, (name, source)
            else:
                assert (DEPLOY / source).resolve().exists(), (name, source)
    build = services["deploy"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert "postgresql+asyncpg://" in services["server"]["environment"][
        "PREFECT_API_DATABASE_CONNECTION_URL"]

    pool = yaml.safe_load((DEPLOY / "prefect.yaml").read_text())[
        "definitions"]["work_pools"]["process"]["name"]
    assert services["worker"]["command"][-1] == pool
    assert f"create {pool} --type process" in services["deploy"]["command"][-1]
    # the warehouse file sits on the mounted volume, so it outlives the container
    worker = services["worker"]
    data_dirs = [m.split(":")[1] for m in worker["volumes"] if m.split(":")[0] == "warehouse"]
    assert any(worker["environment"]["MEDIAWATCH_DB"].startswith(d + "/") for d in data_dirs)
    assert worker["environment"]["PREFECT_API_URL"] == "http://server:4200/api"
