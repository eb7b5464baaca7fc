import type { LifecycleSettings } from './lifecycle';
import type { SlaTier } from './sla';

/** What autotier knows about one MSP client: how fast it must answer, when, and how boldly. */
export interface ClientProfile {
  clientId: string;
  name: string;
  slaTier: SlaTier;
  businessHours: { timeZone: string; days: number[]; start: string; end: string };
  /** Minimum classifier confidence for automation. */
  autoThreshold: number;
  vipEmails: string[];
  /** Mail from these domains is this client's (mail intake places new tickets by sender domain). */
  emailDomains?: string[];
  lifecycle?: Partial<LifecycleSettings>;
  systemProfile: {
    devices: string[];
    software: string[];
    vpnProduct?: string;
    printers?: Record<string, string>;
    recentChanges: string[];
  };
}

export const DEMO_CLIENT: ClientProfile = {
  clientId: 'demo',
  name: 'Demo Dental Group',
  slaTier: 'standard',
  businessHours: { timeZone: 'Europe/London', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
  autoThreshold: 0.6,
  vipEmails: ['owner@demo.example'],
  emailDomains: ['demo.example'],
  systemProfile: {
    devices: ['20 Windows 11 laptops', '3 reception PCs'],
    software: ['Microsoft 365 Business Premium', 'Dentrix', 'Adobe Acrobat'],
    vpnProduct: 'FortiClient',
    printers: { 'Main Street': 'HP LaserJet Pro M404', Riverside: 'Brother HL-L2350DW' },
    recentChanges: ['Moved to Microsoft 365 MFA in October'],
  },
};
