// The one list of services (packages/contracts/src/services.ts) is what everything else derives from; the two
// files that cannot import it are checked against it here: docker-compose.yml (a container and a bus credential
// per service, the gateway waiting for all) and turbo.json (the e2e tests wait for every service's build).
// `npm run new:service -- NAME` keeps all three in step (e2e/new-service.e2e.spec.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { SERVICE_NAMES } from '@lockwell/contracts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Compose = {
  services: Record<string, { volumes?: string[]; depends_on?: string[] | Record<string, unknown> }>;
  volumes: Record<string, unknown>;
};

describe('the service list', () => {
  const compose = yaml.load(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as Compose;
  const turbo = JSON.parse(readFileSync(path.join(root, 'turbo.json'), 'utf8')) as {
    tasks: Record<string, { dependsOn: string[] }>;
  };

  it('names a workspace apps/<name> for every service', () => {
    for (const name of SERVICE_NAMES) {
      expect(JSON.parse(readFileSync(path.join(root, 'apps', name, 'package.json'), 'utf8')).name).toBe(
        `@lockwell/${name}`,
      );
      expect(existsSync(path.join(root, 'apps', name, 'src/app.module.ts'))).toBe(true);
    }
  });

  it('matches docker-compose.yml: one container and one bus credential per service, and the gateway waits for all', () => {
    const backend = Object.keys(compose.services).filter(
      (s) => !['postgres', 'bus-setup', 'nats', 'mail', 'gateway'].includes(s), // mail: the catcher notifications sends to
    );
    expect(backend.sort()).toEqual([...SERVICE_NAMES].sort());
    for (const name of SERVICE_NAMES) {
      expect(compose.services[name]!.volumes).toContain(`bus-${name}:/run/lockwell/bus:ro`);
      expect(compose.services['bus-setup']!.volumes).toContain(`bus-${name}:/bus/${name}`);
      expect(compose.volumes).toHaveProperty(`bus-${name}`);
    }
    expect([...(compose.services.gateway!.depends_on as string[])].sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it("matches turbo.json: the e2e tests wait for every service's build", () => {
    const builds = turbo.tasks['@lockwell/e2e#test']!.dependsOn.filter((d) => d.endsWith('#build')).map((d) =>
      d.replace(/^@lockwell\/|#build$/g, ''),
    );
    expect(builds.filter((b) => !['gateway', 'console'].includes(b)).sort()).toEqual([...SERVICE_NAMES].sort());
  });
});
