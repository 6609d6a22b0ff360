/**
 * The dashboard's defaults (see DashboardOptions), in a module of their own: the CLI's limit
 * flags read them without loading the dashboard's server.
 */
export const DEFAULT_DASHBOARD_OPTIONS = {
  socketPath: '/dashboard/ws',
  maxClients: 16,
  maxBufferedBytes: 1024 * 1024,
  maxSkippedFrames: 30,
} as const;
