/*
 * SPDX-FileCopyrightText: 2023 Example Org
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include <stdio.h>

/* REUSE-IgnoreStart */
/* An example header for the help text: SPDX-License-Identifier: GPL-3.0-only */
static const char *example = "SPDX-License-Identifier: GPL-3.0-only";
/* REUSE-IgnoreEnd */
