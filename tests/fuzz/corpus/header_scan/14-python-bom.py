﻿# SPDX-License-Identifier: 0BSD
print("bom")
