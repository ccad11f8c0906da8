# SPDX-License-Identifier: MIT
# Copyright 2024 CRLF Authors
import os
