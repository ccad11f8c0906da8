/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HELLO_H
#define HELLO_H
int hello(void);
#endif
