#!/bin/sh
# SPDX-FileCopyrightText: 2024 Build Authors
# SPDX-License-Identifier: MIT
set -eu
echo "# SPDX-License-Identifier: not-this-one"
