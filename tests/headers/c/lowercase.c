// spdx-license-identifier: MIT
int answer(void) { return 42; }
