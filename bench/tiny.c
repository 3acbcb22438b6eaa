// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The program spawnstorm starts: does nothing, exits 0. */
int main(void)
{
	return 0;
}
