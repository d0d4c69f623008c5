/** One installation of a brand's app that can receive push notifications for a consumer. */
export interface Device {
  /** The brand's app id, as named in a handoff's `apps`. */
  appId: string;
  platform: 'ios' | 'android' | 'web';
  /** The push registration token (an FCM registration token for the fcm provider). */
  token: string;
}

/**
 * Where in-app adapters find a consumer's devices. The app registers its push token under the
 * consumerId the IVR later passes to eligibility and invite.
 */
export interface DeviceDirectory {
  /** The consumer's devices for any of `apps`, in a stable order (oldest registration first). */
  devicesFor(accountId: string, consumerId: string, apps: string[]): Promise<Device[]>;
  /**
   * The push service says this token is gone for good (FCM `UNREGISTERED`): stop using it.
   * Optional so a read-only directory still works; the token then keeps failing harmlessly.
   */
  forget?(accountId: string, device: Device): Promise<void>;
}

/** A directory held in memory: for tests and the demo. */
export function memoryDeviceDirectory(
  entries: { accountId: string; consumerId: string; device: Device }[] = [],
): DeviceDirectory & { add(accountId: string, consumerId: string, device: Device): void } {
  const list = [...entries];
  return {
    add(accountId, consumerId, device) {
      list.push({ accountId, consumerId, device });
    },
    devicesFor(accountId, consumerId, apps) {
      return Promise.resolve(
        list
          .filter(
            (e) =>
              e.accountId === accountId &&
              e.consumerId === consumerId &&
              apps.includes(e.device.appId),
          )
          .map((e) => e.device),
      );
    },
    forget(accountId, device) {
      const i = list.findIndex((e) => e.accountId === accountId && e.device.token === device.token);
      if (i >= 0) list.splice(i, 1);
      return Promise.resolve();
    },
  };
}
