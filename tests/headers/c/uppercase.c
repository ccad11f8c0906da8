/*
 * SPDX-LICENSE-IDENTIFIER: BSD-3-Clause
 */
int answer(void) { return 42; }
