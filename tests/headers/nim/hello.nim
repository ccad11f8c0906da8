#[
  SPDX-License-Identifier: MIT
]#
echo "hello"
