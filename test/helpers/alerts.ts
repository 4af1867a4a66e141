/**
 * Small, deterministic internal-format inputs for workflow tests: separate attack groups on
 * their own hosts, hours apart, so the expected grouping is known.
 */
export interface GroupSpec {
  attacker: string;
  targets: string[];
  start: number;
  alerts: number;
  names: string[];
}

export function makeInput(groups: GroupSpec[]): { input: Record<string, unknown>[] } {
  const input: Record<string, unknown>[] = [];
  groups.forEach((g, gi) => {
    for (let n = 0; n < g.alerts; n++) {
      input.push({
        id: `g${gi}-a${n}`,
        time: g.start + n * 7.5,
        src: g.attacker,
        dst: g.targets[n % g.targets.length],
        name: g.names[n % g.names.length],
        tech: [],
        other_attributes_dict: { priority: (n % 3) + 1, port: 22 + (n % 2) * 421 },
      });
    }
  });
  return { input };
}

export const twoCampaigns = makeInput([
  {
    attacker: '10.9.0.1',
    targets: ['10.0.0.5', '10.0.0.6'],
    start: 1_700_000_000,
    alerts: 24,
    names: ['Brute Force attempt on ssh', 'ET SCAN Nmap scan', 'Network Service Discovery probe'],
  },
  {
    attacker: '172.16.4.4',
    targets: ['192.168.7.7'],
    start: 1_700_050_000,
    alerts: 16,
    names: ['Exploit Public-Facing Application: struts', 'Command and Scripting Interpreter use'],
  },
]);
