/**
 * Attack stages in ATT&CK tactic order, each with the alert texts an IDS or EDR raises for it.
 * A campaign walks through a random subset of them, in order, across a few hosts and users.
 */
export interface Stage {
  tactic: string;
  names: readonly string[];
  port: number;
  /** Whether the attacker talks to the target (network) or the target acts on its own (host). */
  fromAttacker: boolean;
}

export const stages: readonly Stage[] = [
  {
    tactic: 'reconnaissance',
    port: 0,
    fromAttacker: true,
    names: [
      'ET SCAN Nmap Scripting Engine User-Agent Detected',
      'ET SCAN Possible Nmap User-Agent',
    ],
  },
  {
    tactic: 'discovery',
    port: 445,
    fromAttacker: true,
    names: ['Network Service Discovery probe on SMB', 'ET SCAN Suspicious inbound to MSSQL port'],
  },
  {
    tactic: 'initial-access',
    port: 443,
    fromAttacker: true,
    names: [
      'Exploit Public-Facing Application: Apache Struts OGNL injection',
      'ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT',
    ],
  },
  {
    tactic: 'execution',
    port: 0,
    fromAttacker: false,
    names: [
      'PowerShell encoded command executed',
      'Command and Scripting Interpreter: bash reverse shell',
    ],
  },
  {
    tactic: 'credential-access',
    port: 22,
    fromAttacker: true,
    names: ['Brute Force attempt on ssh', 'OS Credential Dumping: LSASS memory read'],
  },
  {
    tactic: 'lateral-movement',
    port: 3389,
    fromAttacker: false,
    names: [
      'Remote Services: RDP logon from internal host',
      'SMB/Windows Admin Shares write of executable',
    ],
  },
  {
    tactic: 'exfiltration',
    port: 53,
    fromAttacker: false,
    names: [
      'Exfiltration Over Alternative Protocol: DNS tunnelling',
      'Large outbound transfer to rare host',
    ],
  },
];

/** Alerts that fire all day on every network and belong to no attack. */
export const noiseNames: readonly string[] = [
  'ET POLICY Outdated Windows Flash Version IE',
  'ET INFO Session Traversal Utilities for NAT (STUN Binding Request)',
  'ET POLICY Dropbox.com Offsite File Backup in Use',
  'SURICATA STREAM 3way handshake wrong seq wrong ack',
  'ET INFO Observed DNS Query to .cloud TLD',
  'Wazuh: Windows logon success',
  'ET POLICY curl User-Agent Outbound',
];

export const users: readonly string[] = ['alice', 'bob', 'carol', 'dave', 'erin', 'svc-backup'];
