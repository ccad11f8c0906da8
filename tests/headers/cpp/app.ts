#!/usr/bin/env node
/**
 * @file app.ts
 * @copyright 2020 App Authors
 * SPDX-License-Identifier: MIT
 */
export const main = (): void => console.log("app");
