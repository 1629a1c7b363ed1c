console.log('sessionscope cli');
