/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

export {};

// Single fetch is on (remix.config.js): loaders and actions returning data() are typed as such.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
