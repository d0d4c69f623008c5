
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      's361780554d456803': `Not signed in to C2M, or not allowed to see these outbound messages.`,
's7cda4c2ae5ff41fb': `Session expired — sign in again to see the outbound messages.`,
'sc1ea4eabdf604b0b': `Sign in again`,
'sa3b02b7c617b5236': `This installation key was revoked — ask your admin for a new widget link.`,
'scd1dd6ff53d0d01a': `Try again`,
's3ac84dc062f6062e': `Connection lost — reconnecting…`,
's3a56aad92862bd35': `Retry now`,
    };
  