/* What Swift's Glibc module does not bring in: the allocator's settings (mallopt) and
   syncfs, a GNU extension declared in <unistd.h> only under _GNU_SOURCE. */
#include <malloc.h>
int syncfs(int fd);
