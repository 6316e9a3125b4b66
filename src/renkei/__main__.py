from renkei.cli import main

# Guarded: a process started with multiprocessing's "spawn" (the import's reader) imports
# this module again and must not run the command line.
if __name__ == "__main__":
    main()
