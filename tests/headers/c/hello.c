/*
 * hello.c - print a greeting.
 *
 * SPDX-FileCopyrightText: 2024 Example Org
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

int main(void)
{
	printf("hello, world\n");
	return 0;
}
