/* What Swift's Glibc module does not bring in: the allocator's settings (mallopt), syncfs (a
   GNU extension declared in <unistd.h> only under _GNU_SOURCE), and the inode flags ioctl,
   which Swift cannot call (ioctl takes variable arguments). */
#include <malloc.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
int syncfs(int fd);

/* Marks the folder open at `fd` as the top of a tree for the Orlov allocator of ext2/3/4
   (what `chattr +T` does): the folders made in it are placed in block groups with room, as
   home folders are, not beside their parent. Returns 0, or -1 with errno (ENOTTY or
   EOPNOTSUPP where the file system has no such flag). */
static inline int beacon_mark_top_folder(int fd) {
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) return -1;
    if (flags & FS_TOPDIR_FL) return 0;
    flags |= FS_TOPDIR_FL;
    return ioctl(fd, FS_IOC_SETFLAGS, &flags);
}
