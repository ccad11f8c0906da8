/+ SPDX-License-Identifier: BSL-1.0 +/
module app;

void main() {}
